import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Display;

/**
 * Saves the X screen (or its top-left WIDTH x HEIGHT) as a PNG and prints how many distinct
 * colours it has (an empty Xvfb screen has one), so the IDE smoke test can tell that a window was
 * drawn. Run with SWT's jars on the class path: java -cp SWT_JARS Screenshot.java OUT.png [WIDTH HEIGHT]
 */
public class Screenshot {
    public static void main(String[] args) {
        Display display = new Display();
        Rectangle r = display.getBounds();
        if (args.length == 3) {
            r = new Rectangle(0, 0, Math.min(r.width, Integer.parseInt(args[1])), Math.min(r.height, Integer.parseInt(args[2])));
        }
        Image image = new Image(display, r.width, r.height);
        GC gc = new GC(display);
        try {
            gc.copyArea(image, 0, 0);
            ImageData data = image.getImageData();
            java.util.Set<Integer> colours = new java.util.HashSet<>();
            for (int y = 0; y < data.height; y += 4) {
                for (int x = 0; x < data.width; x += 4) {
                    colours.add(data.getPixel(x, y));
                }
            }
            ImageLoader saver = new ImageLoader();
            saver.data = new ImageData[] {data};
            saver.save(args[0], SWT.IMAGE_PNG);
            System.out.println(colours.size());
        } finally {
            gc.dispose();
            image.dispose();
            display.dispose();
        }
    }
}
